def completeness(statuses):
    # a common way to write a percentage: share first, then scale
    earned = total = 0
    for s in PROFILE_SECTIONS:
        status = statuses.get(s["id"], "missing")
        if status == "complete":
            earned += s["weight"]
        elif status == "update":
            earned += s["weight"] * 0.5
        total += s["weight"]
    share = earned / total
    return round(share * 100)
