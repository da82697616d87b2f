def connects_returned(outcome):
    """Whether the Connects spent on a proposal come back after `outcome`."""
    return outcome in ["client_cancelled_before_contract", "removed_by_upwork"]


def connects_back(proposals):
    """Connects returned to your balance for a list of finished proposals."""
    return sum(proposal["connects"] for proposal in proposals if connects_returned(proposal["outcome"]))
