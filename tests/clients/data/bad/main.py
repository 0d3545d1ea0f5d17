def predict():
    return {"ok": True}
