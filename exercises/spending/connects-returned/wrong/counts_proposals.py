def connects_returned(outcome):
    return outcome in RULES["returns.returned_reasons"]


def connects_back(proposals):
    return len([p for p in proposals if connects_returned(p["outcome"])])
