def proposals_affordable(balance, required):
    return balance / required
