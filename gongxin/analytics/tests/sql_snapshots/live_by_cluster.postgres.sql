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
      CAST("k"."id" AS TEXT) AS "group_key"
    FROM "monitoring_monthlystat" AS "s"
    JOIN "enterprises_enterprise" AS "e"
      ON "e"."id" = "s"."enterprise_id"
    JOIN "enterprises_scalerecord" AS "r"
      ON "r"."enterprise_id" = "e"."id" AND "r"."year" = 2024 AND "r"."above_scale" = TRUE
    JOIN "enterprises_clustermembership" AS "m"
      ON "m"."enterprise_id" = "e"."id"
    JOIN "enterprises_cluster" AS "k"
      ON "k"."id" = "m"."cluster_id" AND "k"."kind" = 'cluster'
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
