# "deepgram" is a Deepgram partner service (cerebrium.toml):
# Cerebrium runs Deepgram's own image and uploads nothing from this
# project, so there is no image to reproduce locally.
