def predict(prompt: str) -> dict:
    return {"echo": prompt}
