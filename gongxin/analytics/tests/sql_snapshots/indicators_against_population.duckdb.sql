SELECT
  "grp",
  "enterprises",
  "ytd",
  "prior_ytd",
  (
    (
      "ytd"
    ) / NULLIF("prior_ytd", 0) - 1
  ) * 100 AS "yoy",
  (
    (
      "ytd"
    ) / NULLIF("t"."tot_ytd", 0)
  ) * 100 AS "share",
  (
    (
      "ytd" - "prior_ytd"
    ) / NULLIF("t"."tot_ytd" - "t"."tot_prior", 0)
  ) * 100 AS "contribution",
  (
    (
      "ytd" - "prior_ytd"
    ) / NULLIF("t"."tot_prior", 0)
  ) * 100 AS "pull_points",
  (
    (
      "growing"
    ) / NULLIF("enterprises", 0)
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
  FROM "facts"
  WHERE
    "period" = '2024-03'
  GROUP BY
    "group_key"
) AS "g"
CROSS JOIN (
  SELECT
    SUM("current") AS "tot_ytd",
    SUM("prior") AS "tot_prior"
  FROM "population"
  WHERE
    "period" = '2024-03'
) AS "t"
ORDER BY
  "ytd" DESC
