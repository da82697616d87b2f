def proposals_affordable(balance, required):
    """How many proposals at `required` Connects each `balance` pays for."""
    return balance // required
