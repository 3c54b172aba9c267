"""Streamlit-side helpers shared by the pages: the image tray, cached models, page furniture.

Pages stay thin: they read widgets, call ``vision_core`` and render with these helpers.

Streamlit decides at server start that an app beside a ``pages/`` folder is a
v1 multipage app, until some run calls ``st.navigation``. A shared link to a
page, opened first on a fresh server, would then run that page without the
entry point (no tray, the folder listing as navigation). Importing ``ui`` turns
that off; ``ui.common.page_header`` reruns the one run that started in v1 mode.
"""

from streamlit.runtime.pages_manager import PagesManager

started_in_v1_mode = bool(PagesManager.uses_pages_directory)
PagesManager.uses_pages_directory = False
