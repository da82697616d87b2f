def connects_returned(outcome):
    return outcome in RULES["returns.returned_reasons"]


def connects_back(proposals):
    seen = {}
    for p in proposals:
        if connects_returned(p["outcome"]):
            seen[p["job"]] = p["connects"]
    return sum(seen.values())
