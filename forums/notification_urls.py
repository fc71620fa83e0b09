from django.urls import path

from forums import notification_views

urlpatterns = [
    path("forums/notifications/", notification_views.notification_list, name="forum_notifications"),
    path("forums/notifications/read/", notification_views.notifications_read_all, name="forum_notifications_read_all"),
    path(
        "forums/notifications/<int:notification_id>/",
        notification_views.notification_open,
        name="forum_notification_open",
    ),
    path("forums/preferences/", notification_views.preferences, name="forum_preferences"),
    path(
        "forums/preferences/follows/<int:subscription_id>/remove/",
        notification_views.unfollow,
        name="forum_unfollow",
    ),
    path("forums/unsubscribe/<str:token>/", notification_views.unsubscribe_view, name="forum_unsubscribe"),
]
