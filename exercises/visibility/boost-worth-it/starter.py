def spare_connects(balance, required, planned):
    """Connects left for a boost after this proposal and the planned ones."""
    return balance


def boost_worth_it(bid, spare, contract_usd, win_chance, boosted_win_chance):
    """Whether a boost is worth its bid: Connects to spare first, then more gain than its price."""
    return False
