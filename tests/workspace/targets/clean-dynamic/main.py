from app_factory import *
