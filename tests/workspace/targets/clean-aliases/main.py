from api.routes import router as app
import os as operating_system
