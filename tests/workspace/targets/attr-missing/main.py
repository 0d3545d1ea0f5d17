from fastapi import FastAPI

server = FastAPI()


@server.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}
