def spare_connects(balance, required, planned):
    """Connects left for a boost after this proposal and the planned ones."""
    return balance - required * (1 + planned)


def boost_worth_it(bid, spare, contract_usd, win_chance, boosted_win_chance):
    """Whether a boost is worth its bid: Connects to spare first, then more gain than its price."""
    if bid > spare:
        return False
    gain_usd = (boosted_win_chance - win_chance) * contract_usd
    cost_usd = bid * RULES["purchase.price_per_connect_usd"]
    return gain_usd > cost_usd
