def connects_to_buy(balance, required, planned, bid):
    """Connects to buy now to send this proposal with its bid and keep the planned ones."""
    needed = required * (1 + planned) + bid
    return max(0, needed - balance)


def boost_worth_it(bid, to_buy, contract_usd, win_chance, boosted_win_chance):
    """Whether a boost is worth its bid: more gain than the bid's price, whichever Connects pay for it."""
    # to_buy does not enter: a Connect from your balance costs what a bought one does.
    gain_usd = (boosted_win_chance - win_chance) * contract_usd
    cost_usd = bid * RULES["purchase.price_per_connect_usd"]
    return gain_usd > cost_usd
