# "dockerfile-app" builds from this Dockerfile (./Dockerfile, named by cerebrium.toml).
# Cerebrium uses the upload (the include/exclude files) as the build context; build it
# locally from the project folder: docker build -f ./Dockerfile .

FROM python:3.11-slim
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir fastapi uvicorn
EXPOSE 8080
CMD ["uvicorn", "server:app", "--host", "0.0.0.0", "--port", "8080"]
