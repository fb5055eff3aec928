from .media import Video
from .pages import (
    ArticleKind,
    ArticlePage,
    ArticlePageTag,
    CampaignIndexPage,
    CampaignKind,
    CampaignPage,
    CriteriaIndexPage,
    CriteriaPage,
    HomePage,
    NewsIndexPage,
)

__all__ = [
    "ArticleKind",
    "ArticlePage",
    "ArticlePageTag",
    "CampaignIndexPage",
    "CampaignKind",
    "CampaignPage",
    "CriteriaIndexPage",
    "CriteriaPage",
    "HomePage",
    "NewsIndexPage",
    "Video",
]
