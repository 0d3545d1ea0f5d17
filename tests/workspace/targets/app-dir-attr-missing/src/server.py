from starlette.applications import Starlette

api = Starlette()
