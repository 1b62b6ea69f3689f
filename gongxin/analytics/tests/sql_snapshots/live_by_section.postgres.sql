SELECT
  "grp",
  "enterprises",
  "ytd",
  "prior_ytd",
  (
    CAST((
      "ytd"
    ) AS DOUBLE PRECISION) / NULLIF("prior_ytd", 0) - 1
  ) * 100 AS "yoy",
  (
    CAST((
      "ytd"
    ) AS DOUBLE PRECISION) / NULLIF("t"."tot_ytd", 0)
  ) * 100 AS "share",
  (
    CAST((
      "ytd" - "prior_ytd"
    ) AS DOUBLE PRECISION) / NULLIF("t"."tot_ytd" - "t"."tot_prior", 0)
  ) * 100 AS "contribution",
  (
    CAST((
      "ytd" - "prior_ytd"
    ) AS DOUBLE PRECISION) / NULLIF("t"."tot_prior", 0)
  ) * 100 AS "pull_points",
  (
    CAST((
      "growing"
    ) AS DOUBLE PRECISION) / NULLIF("enterprises", 0)
  ) * 100 AS "growth_face",
  "largest"
FROM (
  SELECT
    "group_key" AS "grp",
    COUNT(*) AS "enterprises",
    SUM("current") AS "ytd",
    SUM("prior") AS "prior_ytd",
    MAX("current") AS "largest",
    SUM(CASE WHEN "current" > "prior" THEN 1 ELSE 0 END) AS "growing"
  FROM (
    SELECT
      "s"."period" AS "period",
      "s"."output" AS "current",
      "s"."output_prior" AS "prior",
      CASE
        WHEN SUBSTRING("e"."industry_code" FROM 1 FOR 2) BETWEEN '01' AND '05'
        THEN 'A'
        WHEN SUBSTRING("e"."industry_code" FROM 1 FOR 2) BETWEEN '06' AND '12'
        THEN 'B'
        WHEN SUBSTRING("e"."industry_code" FROM 1 FOR 2) BETWEEN '13' AND '43'
        THEN 'C'
        WHEN SUBSTRING("e"."industry_code" FROM 1 FOR 2) BETWEEN '44' AND '46'
        THEN 'D'
        WHEN SUBSTRING("e"."industry_code" FROM 1 FOR 2) BETWEEN '47' AND '50'
        THEN 'E'
        WHEN SUBSTRING("e"."industry_code" FROM 1 FOR 2) BETWEEN '51' AND '52'
        THEN 'F'
        WHEN SUBSTRING("e"."industry_code" FROM 1 FOR 2) BETWEEN '53' AND '60'
        THEN 'G'
        WHEN SUBSTRING("e"."industry_code" FROM 1 FOR 2) BETWEEN '61' AND '62'
        THEN 'H'
        WHEN SUBSTRING("e"."industry_code" FROM 1 FOR 2) BETWEEN '63' AND '65'
        THEN 'I'
        WHEN SUBSTRING("e"."industry_code" FROM 1 FOR 2) BETWEEN '66' AND '69'
        THEN 'J'
        WHEN SUBSTRING("e"."industry_code" FROM 1 FOR 2) BETWEEN '70' AND '70'
        THEN 'K'
        WHEN SUBSTRING("e"."industry_code" FROM 1 FOR 2) BETWEEN '71' AND '72'
        THEN 'L'
        WHEN SUBSTRING("e"."industry_code" FROM 1 FOR 2) BETWEEN '73' AND '75'
        THEN 'M'
        WHEN SUBSTRING("e"."industry_code" FROM 1 FOR 2) BETWEEN '76' AND '79'
        THEN 'N'
        WHEN SUBSTRING("e"."industry_code" FROM 1 FOR 2) BETWEEN '80' AND '82'
        THEN 'O'
        WHEN SUBSTRING("e"."industry_code" FROM 1 FOR 2) BETWEEN '83' AND '83'
        THEN 'P'
        WHEN SUBSTRING("e"."industry_code" FROM 1 FOR 2) BETWEEN '84' AND '85'
        THEN 'Q'
        WHEN SUBSTRING("e"."industry_code" FROM 1 FOR 2) BETWEEN '86' AND '90'
        THEN 'R'
        WHEN SUBSTRING("e"."industry_code" FROM 1 FOR 2) BETWEEN '91' AND '96'
        THEN 'S'
        WHEN SUBSTRING("e"."industry_code" FROM 1 FOR 2) BETWEEN '97' AND '97'
        THEN 'T'
        ELSE '?'
      END AS "group_key"
    FROM "monitoring_monthlystat" AS "s"
    JOIN "enterprises_enterprise" AS "e"
      ON "e"."id" = "s"."enterprise_id"
    JOIN "enterprises_scalerecord" AS "r"
      ON "r"."enterprise_id" = "e"."id" AND "r"."year" = 2024 AND "r"."above_scale" = TRUE
    WHERE
      "s"."period" = '2024-03'
  ) AS "f"
  WHERE
    "period" = '2024-03'
  GROUP BY
    "group_key"
) AS "g"
CROSS JOIN (
  SELECT
    SUM("current") AS "tot_ytd",
    SUM("prior") AS "tot_prior"
  FROM (
    SELECT
      "s"."period" AS "period",
      "s"."output" AS "current",
      "s"."output_prior" AS "prior",
      'total' AS "group_key"
    FROM "monitoring_monthlystat" AS "s"
    JOIN "enterprises_enterprise" AS "e"
      ON "e"."id" = "s"."enterprise_id"
    JOIN "enterprises_scalerecord" AS "r"
      ON "r"."enterprise_id" = "e"."id" AND "r"."year" = 2024 AND "r"."above_scale" = TRUE
    WHERE
      "s"."period" = '2024-03'
  ) AS "f"
  WHERE
    "period" = '2024-03'
) AS "t"
ORDER BY
  "ytd" DESC NULLS LAST
