"""/api/v1/: the versioned API's routes (NamespaceVersioning: the namespace "v1" is the version)."""

from rest_framework.routers import SimpleRouter

from api import views, views_practices

app_name = "v1"

router = SimpleRouter()
router.register("events", views.EventViewSet, basename="event")
router.register("experts", views.ExpertViewSet, basename="expert")
router.register("topics", views.TopicViewSet, basename="topic")
router.register("countries", views.CountryViewSet, basename="country")
router.register("issues", views.IssueViewSet, basename="issue")
router.register("articles", views.ArticleViewSet, basename="article")
router.register("documents", views.DocumentViewSet, basename="document")
router.register("search", views.SearchViewSet, basename="search")
router.register("cases", views_practices.CaseViewSet, basename="case")
router.register("collections", views_practices.CollectionViewSet, basename="collection")
router.register("programme/activities", views_practices.ActivityViewSet, basename="activity")
router.register("me/registrations", views.RegistrationViewSet, basename="registration")
router.register("me/token", views.TokenViewSet, basename="token")
router.register("webhooks", views.WebhookViewSet, basename="webhook")

urlpatterns = router.urls
