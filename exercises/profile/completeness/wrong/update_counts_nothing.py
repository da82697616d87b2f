def completeness(statuses):
    earned = sum(s["weight"] for s in PROFILE_SECTIONS if statuses.get(s["id"]) == "complete")
    total = sum(s["weight"] for s in PROFILE_SECTIONS)
    return round(100 * earned / total)
