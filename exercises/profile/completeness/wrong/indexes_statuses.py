def completeness(statuses):
    share = {"complete": 1, "update": 0.5, "missing": 0}
    earned = 0
    total = 0
    for section in PROFILE_SECTIONS:
        earned += section["weight"] * share[statuses[section["id"]]]
        total += section["weight"]
    return round(100 * earned / total)
