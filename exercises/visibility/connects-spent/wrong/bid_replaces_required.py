def connects_spent(required, bid, top_slot_at_close, client_interacted):
    if bid and (top_slot_at_close or client_interacted):
        return bid
    return required
