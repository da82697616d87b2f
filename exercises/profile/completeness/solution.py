CREDIT = {"complete": 1, "update": 0.5, "missing": 0}


def completeness(statuses):
    """Profile completeness from 0 to 100, weighting each section of PROFILE_SECTIONS."""
    earned = 0
    total = 0
    for section in PROFILE_SECTIONS:
        status = statuses.get(section["id"], "missing")
        earned += section["weight"] * CREDIT[status]
        total += section["weight"]
    return round(100 * earned / total)
