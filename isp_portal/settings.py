"""Settings for ISP Portal, all driven by environment variables (see README "Configuration")."""

import base64
import hashlib
from pathlib import Path
from typing import Any

import dj_database_url
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from isp_portal.env import env_bool, env_int, env_list, env_str, parse_key_ring

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("ISP_VAR_DIR", str(BASE_DIR / "var")))

DEFAULT_SECRET_KEY = "insecure-development-key-do-not-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", DEFAULT_SECRET_KEY)
DEBUG = env_bool("DEBUG", False)
if not DEBUG and SECRET_KEY == DEFAULT_SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is the development default. Set SECRET_KEY (or SECRET_KEY_FILE), "
        "or set DEBUG=true for local development."
    )
# The audit chain key signs every audit event. It lives outside the database on purpose:
# someone who can write to the database cannot forge a valid chain without it. It is its
# own secret, never SECRET_KEY: rotating SECRET_KEY must not break every past event.
DEVELOPMENT_AUDIT_HMAC_KEY = "insecure-development-audit-key-do-not-use-in-production"
AUDIT_HMAC_KEY = env_str("AUDIT_HMAC_KEY", DEVELOPMENT_AUDIT_HMAC_KEY if DEBUG else "")
if not AUDIT_HMAC_KEY:
    raise ImproperlyConfigured(
        "AUDIT_HMAC_KEY is not set. Set AUDIT_HMAC_KEY (or AUDIT_HMAC_KEY_FILE) to a long "
        "random secret kept outside the database (see docs/security.md, the audit log), "
        "or set DEBUG=true for local development."
    )
# Each event records the id of the key that signed it, so the key can be rotated: the new
# key gets a new id, and the keys that signed older events stay configured as old keys,
# written "id:key", separated by commas or new lines.
AUDIT_HMAC_KEY_ID = env_str("AUDIT_HMAC_KEY_ID", "1")
AUDIT_HMAC_OLD_KEYS = parse_key_ring("AUDIT_HMAC_OLD_KEYS", env_str("AUDIT_HMAC_OLD_KEYS"))
if AUDIT_HMAC_KEY_ID in AUDIT_HMAC_OLD_KEYS:
    raise ImproperlyConfigured(
        f"AUDIT_HMAC_KEY_ID {AUDIT_HMAC_KEY_ID!r} is also in AUDIT_HMAC_OLD_KEYS: "
        "a new key needs a new id."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "isp_portal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # PostgreSQL's lookups (trigram similarity, full-text search) for the search box; on
    # SQLite it registers nothing.
    "django.contrib.postgres",
    "django.forms",
    "isp_portal",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "guardian",
    "simple_history",
    "django_filters",
    "django_tasks_db",
    "accounts",
    "agreements",
    "requests_app",
    "consent",
    "rights",
    "retention",
    "audit",
    "oversight",
    # The API for case-management systems (docs/api.md).
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "oauth2_provider",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionLimitsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "accounts.sso.middleware.SignOnFormActionMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.RequireMFAMiddleware",
    "accounts.middleware.TermsAcceptanceMiddleware",
    "isp_portal.middleware.NoStoreMiddleware",
    "isp_portal.middleware.DatabaseUnavailableMiddleware",
    "isp_portal.pdf.PdfRenderFailedMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "isp_portal.urls"
WSGI_APPLICATION = "isp_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "isp_portal.context_processors.portal",
            ],
        },
    },
]
FORM_RENDERER = "isp_portal.forms.GovukFormRenderer"
# Covering indexes (INCLUDE) are a PostgreSQL speed-up; SQLite, for development, builds the
# same indexes without the extra columns.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'isp_portal.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    # Shared by every gunicorn worker without another service: sign-in throttling must
    # count failures across workers.
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "isp_portal_cache",
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Django's and allauth's backends, loading the officer with agency and roles in one query.
    "accounts.backends.OfficerModelBackend",
    "accounts.backends.OfficerAuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# Accounts (django-allauth): no self-registration, sign in by username, MFA by TOTP.
ACCOUNT_ADAPTER = "accounts.adapters.PortalAccountAdapter"
ACCOUNT_FORMS = {"login": "accounts.forms.LoginForm"}
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
# Changing email, password or MFA asks for the password again (MFA does this by default).
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_RATE_LIMITS = {
    "login_failed": env_str("LOGIN_FAILED_RATE_LIMIT", "5/5m/ip,5/15m/key"),
    "reset_password": "5/h/ip,3/h/key",
}
# Behind a reverse proxy every request reaches gunicorn from the proxy's address. Given how
# many proxies stand in front, allauth takes the client's own address from the entry the
# outermost of them appended to X-Forwarded-For: sign-in throttling counts per client (not
# per proxy) and the audit log records the client's address.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# Single sign-on per agency (accounts.sso): each agency's OpenID Connect provider is set up
# by an administrator (Django admin, "Single sign-on"); allauth's own app table is not used.
# Signing in never makes an account, and an identity is linked only to an existing account.
SOCIALACCOUNT_ADAPTER = "accounts.sso.adapter.PortalSocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = 10
SOCIALACCOUNT_PROVIDERS: dict[str, dict] = {}
# Issuers must use https; only a test may allow http, and only on this machine (127.0.0.1).
SSO_HTTP_ISSUER_ALLOWED = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "ISP Portal"
MFA_ADAPTER = "accounts.adapters.PortalMFAAdapter"
MFA_FORMS = {"authenticate": "accounts.forms.SecondFactorForm"}
# TOTP secrets and recovery-code seeds are encrypted in the database with a key held outside
# it, so a copy of the database alone cannot produce anyone's codes. Comma-separated Fernet
# keys: the first encrypts, every one decrypts, so a new key can be put in front of the old.
MFA_ENCRYPTION_KEYS = env_list("MFA_ENCRYPTION_KEY")
if not MFA_ENCRYPTION_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured(
            "MFA_ENCRYPTION_KEY is not set. Set it (or MFA_ENCRYPTION_KEY_FILE) to a key made by "
            "Fernet.generate_key() from the cryptography package, and keep it outside the "
            "database; or set DEBUG=true for local development."
        )
    # Development only: a key derived from the development SECRET_KEY.
    MFA_ENCRYPTION_KEYS = [
        base64.urlsafe_b64encode(hashlib.sha256(f"mfa:{SECRET_KEY}".encode()).digest()).decode()
    ]
for _key in MFA_ENCRYPTION_KEYS:
    try:
        Fernet(_key)
    except ValueError as exc:
        raise ImproperlyConfigured(
            "MFA_ENCRYPTION_KEY must be Fernet keys (32 url-safe base64-encoded bytes each), "
            "separated by commas."
        ) from exc
# Production requires every account to have two-factor authentication set up.
MFA_REQUIRED = env_bool("MFA_REQUIRED", not DEBUG)
# The list of an officer's sessions ("sign out other sessions") is kept by allauth; the last
# activity, address and browser of a session are written with the idle clock
# (accounts.sessions.session_touch), not on every request.
USERSESSIONS_TRACK_ACTIVITY = False

ANONYMOUS_USER_NAME = None  # guardian: no anonymous user; nothing here is public.
GUARDIAN_MONKEY_PATCH_USER = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
]
STORAGES = {
    # Private files: attachments and consent scans. Never under a public URL; served only
    # by views that check need to know.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "private"), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
MAX_ATTACHMENTS = env_int("MAX_ATTACHMENTS", 10)
# Form fields other than files (Django's default): a larger body is not a form officers
# filled in.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_HANDLERS = [
    "isp_portal.uploads.SizeLimitUploadHandler",  # stops reading past MAX_UPLOAD_BYTES
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_PERMISSIONS = 0o600
# A PDF's layout is killed after this long, inside gunicorn's 30-second worker timeout.
PDF_RENDER_TIMEOUT_SECONDS = env_int("PDF_RENDER_TIMEOUT_SECONDS", 20)

# Email goes through one mailer. It carries references and links, never personal data.
EMAIL_BACKEND_PATH = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS: dict[str, dict[str, Any]] = {"default": {"BACKEND": EMAIL_BACKEND_PATH}}
if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25),
        "username": env_str("EMAIL_HOST_USER"),
        "password": env_str("EMAIL_HOST_PASSWORD"),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        # A slow relay holds up only the worker, never a page; this bounds each attempt.
        "timeout": env_int("EMAIL_TIMEOUT", 10),
    }
# Email and other side effects are tasks, stored in the database in the same transaction as
# the change they follow, and run by `manage.py db_worker` (see docs/operations.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ISP Portal <no-reply@isp-portal.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Sessions: idle timeout (refreshed on every request) and an absolute cap.
SESSION_ENGINE = "accounts.session_store"  # Django's database sessions, one UPDATE a save
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 15 * 60)
SESSION_MAX_SECONDS = env_int("SESSION_MAX_SECONDS", 10 * 60 * 60)
# The timeout warning (WCAG 2.2.1) appears this long before the idle timeout.
SESSION_WARNING_SECONDS = env_int("SESSION_WARNING_SECONDS", 2 * 60)
# Activity is written to the session at most this often (the idle clock's resolution), so
# most pages do not write to the database at all; see docs/performance.md.
SESSION_TOUCH_SECONDS = env_int("SESSION_TOUCH_SECONDS", min(60, SESSION_IDLE_SECONDS // 10))
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

SECURE_HTTPS = env_bool("SECURE_HTTPS", not DEBUG)
if SECURE_HTTPS:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 63072000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

# Figures below this are shown as "<5" to CSP leads so nobody can be singled out (ISP 4.11).
SMALL_NUMBER_THRESHOLD = env_int("SMALL_NUMBER_THRESHOLD", 5)
# seed_demo refuses to run with debug off unless this is set: no production database may
# receive the demo accounts' known password.
ALLOW_DEMO_DATA = env_bool("ALLOW_DEMO_DATA", DEBUG)

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Request logging can carry query strings; keep it at warnings without bodies.
        "django.request": {"level": "ERROR"},
        "django.db.backends": {"level": "WARNING"},
    },
}

# --- accounts ---
# Every officer accepts the current terms of use (ISP 8.8) before using the portal.
TERMS_REQUIRED = env_bool("TERMS_REQUIRED", True)

# --- pdf ---
# WeasyPrint logs every rendering step at INFO; keep its warnings (refused resources) only.
LOGGING["loggers"]["weasyprint"] = {"level": "WARNING"}
LOGGING["loggers"]["fontTools"] = {"level": "WARNING"}

# --- api ---
# The API for case-management systems (docs/api.md): OAuth 2.0 client credentials, one
# client per agency acting for a named officer, each call through the portal's services.
API_TOKEN_SECONDS = env_int("API_TOKEN_SECONDS", 15 * 60)
# Calls per client, counted in the shared cache across workers: "<number>/<second|minute|hour>".
API_RATE_LIMIT = env_str("API_RATE_LIMIT", "120/minute")
# Token requests per client address: each checks a hashed secret.
API_TOKEN_RATE_LIMIT = env_str("API_TOKEN_RATE_LIMIT", "20/minute")
API_SCOPES = {
    "requests:read": "List, search and read the requests the officer may see",
    "requests:write": "Create, change and submit the officer's draft requests",
    "decisions:write": "Start the review of, and record the decision on, a request",
    "files:read": "Download the files of a request the officer may see",
}
OAUTH2_PROVIDER = {
    "SCOPES": API_SCOPES,
    "DEFAULT_SCOPES": ["requests:read"],
    # Each client may ask only for the scopes an administrator gave it (api/scopes.py).
    "SCOPES_BACKEND_CLASS": "api.oauth.ClientScopes",
    "OAUTH2_VALIDATOR_CLASS": "api.oauth.ClientValidator",
    "ACCESS_TOKEN_EXPIRE_SECONDS": API_TOKEN_SECONDS,
    # Client credentials only: no browser redirects, so no authorization codes or refresh.
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
    "PKCE_REQUIRED": True,
    # The OAuth 2.0 Security BCP (RFC 9700) throughout: tokens only in the Authorization
    # header, never in an address; tokens stored hashed; no implicit or password grant.
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
}
# Named here because api.ApiClient refers to the (swappable) application model.
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.ClientAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.ClientScope"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ClientRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_VERSIONING_CLASS": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ISP Portal API",
    "DESCRIPTION": (
        "For case-management systems of the partner agencies: requests, decisions and "
        "files under the Information Sharing Protocol. See docs/api.md."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI and Redoc from the installed sidecar package: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "APPEND_COMPONENTS": {
        "securitySchemes": {
            "oauth2": {
                "type": "oauth2",
                "flows": {
                    "clientCredentials": {
                        "tokenUrl": "/api/v1/oauth/token/",
                        "scopes": API_SCOPES,
                    }
                },
            }
        }
    },
    "SECURITY": [{"oauth2": []}],
    "AUTHENTICATION_WHITELIST": [],
}
# --- reminders (requests_app.reminders, the daily `send_reminders` job) ---
# The assignee (or, if nobody has it, the agency's disclosing officers) is reminded this many
# working days before a request's due date, and again on the day.
REMINDER_WORKING_DAYS_BEFORE_DUE = env_int("REMINDER_WORKING_DAYS_BEFORE_DUE", 2)
# The SPOC and deputy hear of a request the day it is overdue, then every this many days.
REMINDER_OVERDUE_EVERY_DAYS = env_int("REMINDER_OVERDUE_EVERY_DAYS", 7)
# The requester hears of a question unanswered for this many working days, then every
# REMINDER_CLARIFICATION_EVERY_DAYS days until they answer.
REMINDER_CLARIFICATION_AFTER_WORKING_DAYS = env_int("REMINDER_CLARIFICATION_AFTER_WORKING_DAYS", 2)
REMINDER_CLARIFICATION_EVERY_DAYS = env_int("REMINDER_CLARIFICATION_EVERY_DAYS", 7)
