"""The CMS side of the courses app: what trainers see on the Wagtail dashboard."""

from wagtail import hooks
from wagtail.admin.ui.components import Component

from courses.translations import stale_translations


class StaleTranslationsPanel(Component):
    """Course pages whose source changed after their translation was last synchronised."""

    name = "stale_translations"
    order = 150
    template_name = "courses/admin/stale_translations_panel.html"

    def get_context_data(self, parent_context=None):
        return {"stale": stale_translations()}


@hooks.register("construct_homepage_panels")
def add_stale_translations_panel(request, panels):
    panels.append(StaleTranslationsPanel())
