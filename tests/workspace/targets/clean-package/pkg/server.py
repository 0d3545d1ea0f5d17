from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass

try:
    from fastapi import FastAPI

    app: FastAPI = FastAPI()
except ImportError:
    raise
