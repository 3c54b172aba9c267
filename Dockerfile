# Deep Vision Lab, CPU image. For CUDA: docker build --build-arg TORCH_INDEX=https://download.pytorch.org/whl/cu124 .
# Mirrors `make run`: install requirements.txt, fetch the embedded assets and, when the build reaches the hub, the
# recommended torchvision weights (about 605 MB; --build-arg FETCH_MODELS=0 skips them), `streamlit run streamlit_app.py`.
FROM python:3.11-slim

ARG TORCH_INDEX=https://download.pytorch.org/whl/cpu
ARG FETCH_MODELS=1
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DVL_CACHE=/home/app/.cache/deep-vision-lab \
    DVL_DATA=/home/app/data \
    PORT=8501

RUN apt-get update && apt-get install -y --no-install-recommends curl libgl1 libglib2.0-0 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 app

WORKDIR /app
COPY requirements.txt .
RUN pip install --upgrade "pip>=25.3" && pip install --extra-index-url "$TORCH_INDEX" -r requirements.txt

COPY --chown=app:app . .
USER app
RUN mkdir -p "$DVL_DATA" && python -m vision_core.assets fetch && python -m vision_core.assets status
# Offline this prints one line and the build goes on with the embedded models.
RUN if [ "$FETCH_MODELS" = 1 ]; then python -m vision_core.models fetch-recommended || true; fi

# Classroom mode keeps classes in $DVL_DATA/classroom.db (SQLite): mount a volume there to keep them across
# containers (docker run -v dvl-data:/home/app/data …), or set DVL_DATABASE_URL=postgresql+psycopg://… .
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${PORT}/_stcore/health" || exit 1
CMD ["sh", "-c", "streamlit run streamlit_app.py --server.port ${PORT} --server.address 0.0.0.0"]
