from .campaigns import CampaignIndexPage, CampaignKind, CampaignPage, PublicityDate, PublicityTheme
from .courses import CourseIndexPage, CoursePage, LessonPage
from .criteria import CriteriaIndexPage, CriteriaPage
from .media import Video
from .news import ArticleKind, ArticlePage, ArticlePageTag, NewsIndexPage
from .pages import HomePage
from .reach import CampaignActivity, CampaignFilmShowing, CampaignMediaReport, ReachKind

__all__ = [
    "ArticleKind",
    "ArticlePage",
    "ArticlePageTag",
    "CampaignActivity",
    "CampaignFilmShowing",
    "CampaignMediaReport",
    "CampaignIndexPage",
    "CampaignKind",
    "CampaignPage",
    "CourseIndexPage",
    "CoursePage",
    "CriteriaIndexPage",
    "CriteriaPage",
    "HomePage",
    "LessonPage",
    "NewsIndexPage",
    "PublicityDate",
    "PublicityTheme",
    "ReachKind",
    "Video",
]
