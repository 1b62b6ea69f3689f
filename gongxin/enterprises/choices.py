from __future__ import annotations

from django.db import models


class HonorKind(models.TextChoices):
    INNOVATIVE_SME = "innovative_sme", "创新型中小企业"
    SRDI = "srdi", "专精特新中小企业"
    LITTLE_GIANT = "little_giant", "专精特新“小巨人”企业"
    SINGLE_CHAMPION = "single_champion", "制造业单项冠军"
    HIGH_TECH = "high_tech", "高新技术企业"
    TECH_SME = "tech_sme", "科技型中小企业"
    GREEN_FACTORY = "green_factory", "绿色工厂"
    SMART_FACTORY = "smart_factory", "智能工厂"
    FACTORY_5G = "factory_5g", "5G工厂"
    LIGHTHOUSE = "lighthouse", "灯塔工厂"


class HonorLevel(models.TextChoices):
    NATIONAL = "national", "国家级"
    PROVINCIAL = "provincial", "省级"
    MUNICIPAL = "municipal", "市级"
    DISTRICT = "district", "区级"


class ClusterKind(models.TextChoices):
    CLUSTER = "cluster", "产业集群"
    CHAIN = "chain", "产业链"


class LiaisonLevel(models.TextChoices):
    CITY = "city", "市级"
    DISTRICT = "district", "区级"
    TOWN = "town", "镇街级"
