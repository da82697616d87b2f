CREDIT = {"complete": 1, "update": 0.5, "missing": 0}


def completeness(statuses):
    earned = sum(s["weight"] * CREDIT[statuses.get(s["id"], "missing")] for s in PROFILE_SECTIONS)
    total = sum(s["weight"] for s in PROFILE_SECTIONS)
    return int(100 * earned / total + 0.5)
