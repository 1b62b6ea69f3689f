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
    ) / NULLIF(SUM("ytd") OVER (), 0)
  ) * 100 AS "share",
  (
    (
      "ytd" - "prior_ytd"
    ) / NULLIF(SUM("ytd") OVER () - SUM("prior_ytd") OVER (), 0)
  ) * 100 AS "contribution",
  (
    (
      "ytd" - "prior_ytd"
    ) / NULLIF(SUM("prior_ytd") OVER (), 0)
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
ORDER BY
  "ytd" DESC
