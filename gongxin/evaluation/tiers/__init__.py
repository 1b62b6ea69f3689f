"""梯度培育: the three tiers of quality SMEs (创新型 → 专精特新 → 小巨人) as dated rule sets
(rules/*.yaml), evaluated per enterprise from catalog features (features.py, rules.py), with
candidate and review lists (services.py) and YAML cases (cases/*.yaml)."""
