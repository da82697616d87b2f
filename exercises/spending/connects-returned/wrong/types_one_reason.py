def connects_returned(outcome):
    return outcome == "client_cancelled_before_contract" or outcome in RULES["returns.returned_reasons"]


def connects_back(proposals):
    return sum(p["connects"] for p in proposals if connects_returned(p["outcome"]))
