def connects_to_buy(balance, required, planned, bid):
    """Connects to buy now to send this proposal with its bid and keep the planned ones."""
    return 0


def boost_worth_it(bid, to_buy, contract_usd, win_chance, boosted_win_chance):
    """Whether a boost is worth its bid: more gain than the bid's price, whichever Connects pay for it."""
    return False
