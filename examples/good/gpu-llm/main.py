def generate(prompt: str) -> dict:
    return {"text": prompt}
