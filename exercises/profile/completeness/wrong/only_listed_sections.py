CREDIT = {"complete": 1, "update": 0.5, "missing": 0}


def completeness(statuses):
    weights = {s["id"]: s["weight"] for s in PROFILE_SECTIONS}
    total = sum(weights[section] for section in statuses)
    if total == 0:
        return 0
    earned = sum(weights[section] * CREDIT[status] for section, status in statuses.items())
    return round(100 * earned / total)
