"""Propaganda reach (徐泾镇三年行动方案 第27条): what a campaign's activities, media reports and
warning-film showings add up to — per page, per unit's month, per village and kind for a year."""
