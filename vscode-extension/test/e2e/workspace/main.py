def run(prompt: str) -> dict:
    return {"echo": prompt}
