def proposals_affordable(balance, required):
    return round(balance / required)
