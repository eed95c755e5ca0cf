/* Built-in secret rules.  Written from the shape of gitleaks' default config
 * (same rule ids where gitleaks has one so results are comparable), extended
 * with a few identifiers users of Trivy/ggshield expect.  Regexes use the
 * RE2/PCRE2 common subset; keywords are lower-case literals that must occur in
 * the scanned text for the rule to run (gitleaks' prefilter). */
#include "secrets/rules.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *id, *desc;
    brig_severity sev;
    const char *regex;
    int group;
    double entropy;
    const char *keywords;       /* '|'-separated */
    const char *allow_secret;   /* one allowlist regex applied to the secret, or NULL */
    bool generic;
} builtin_rule;

/* The tail most token rules share: the secret must end at a delimiter. */
#define END "(?:[\\x60'\"\\s;]|\\\\[nr]|$)"

static const builtin_rule builtin[] = {
    { "aws-access-token", "AWS access key ID", BRIG_SEV_HIGH,
      "\\b((?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\\b", 1, 3.0,
      "a3t|akia|asia|abia|acca", ".+EXAMPLE$", false },
    { "aws-secret-access-key", "AWS secret access key", BRIG_SEV_CRITICAL,
      "(?i)aws[\\w.-]{0,20}(?:secret|private)[\\w.-]{0,20}[\\s'\"]{0,3}(?:=|:|=>|:=)[\\s'\"]{0,5}([a-z0-9/+]{40})(?:[^a-z0-9/+=]|$)", 1, 4.0,
      "aws", "EXAMPLEKEY$", false },
    { "gcp-service-account-key", "GCP service account private key (JSON key file)", BRIG_SEV_CRITICAL,
      "\"private_key\"\\s*:\\s*\"(-----BEGIN (?:RSA )?PRIVATE KEY-----(?:\\\\n|[A-Za-z0-9+/= ]){64,}?-----END (?:RSA )?PRIVATE KEY-----(?:\\\\n)?)\"", 1, 0,
      "private_key", NULL, false },
    { "gcp-api-key", "GCP API key", BRIG_SEV_HIGH,
      "\\b(AIza[\\w-]{35})" END, 1, 3.0, "aiza", NULL, false },
    { "azure-storage-account-key", "Azure storage account key", BRIG_SEV_CRITICAL,
      "(?i)(?:accountkey\\s*=\\s*|azure[\\w.-]{0,30}key[\\w.-]{0,10}[\\s'\"]{0,3}(?:=|:|=>)[\\s'\"]{0,5})([a-z0-9+/]{86}==)", 1, 4.0,
      "accountkey|azure", NULL, false },
    { "azure-ad-client-secret", "Azure AD client secret", BRIG_SEV_HIGH,
      "(?:^|[\\\\'\"\\x60\\s>=:(,)])([a-zA-Z0-9_~.]{3}\\dQ~[a-zA-Z0-9_~.-]{31,34})(?:$|[\\\\'\"\\x60\\s<),])", 1, 3.0,
      "q~", NULL, false },
    { "github-pat", "GitHub personal access token", BRIG_SEV_CRITICAL,
      "\\b(ghp_[0-9a-zA-Z]{36})\\b", 1, 3.0, "ghp_", NULL, false },
    { "github-oauth", "GitHub OAuth access token", BRIG_SEV_CRITICAL,
      "\\b(gho_[0-9a-zA-Z]{36})\\b", 1, 3.0, "gho_", NULL, false },
    { "github-app-token", "GitHub app token (user-to-server or server-to-server)", BRIG_SEV_CRITICAL,
      "\\b((?:ghu|ghs)_[0-9a-zA-Z]{36})\\b", 1, 3.0, "ghu_|ghs_", NULL, false },
    { "github-refresh-token", "GitHub refresh token", BRIG_SEV_CRITICAL,
      "\\b(ghr_[0-9a-zA-Z]{36})\\b", 1, 3.0, "ghr_", NULL, false },
    { "github-fine-grained-pat", "GitHub fine-grained personal access token", BRIG_SEV_CRITICAL,
      "\\b(github_pat_\\w{82})\\b", 1, 3.0, "github_pat_", NULL, false },
    { "gitlab-pat", "GitLab personal access token", BRIG_SEV_CRITICAL,
      "\\b(glpat-[\\w-]{20})\\b", 1, 3.0, "glpat-", NULL, false },
    { "gitlab-deploy-token", "GitLab deploy token", BRIG_SEV_HIGH,
      "\\b(gldt-[0-9a-zA-Z_-]{20})\\b", 1, 3.0, "gldt-", NULL, false },
    { "gitlab-ptt", "GitLab pipeline trigger token", BRIG_SEV_HIGH,
      "\\b(glptt-[0-9a-f]{40})\\b", 1, 3.0, "glptt-", NULL, false },
    { "gitlab-rrt", "GitLab runner registration token", BRIG_SEV_HIGH,
      "\\b(GR1348941[\\w-]{20})\\b", 1, 3.0, "gr1348941", NULL, false },
    { "slack-bot-token", "Slack bot token", BRIG_SEV_HIGH,
      "\\b(xoxb-[0-9]{10,13}-[0-9]{10,13}[a-zA-Z0-9-]*)", 1, 3.0, "xoxb", NULL, false },
    { "slack-user-token", "Slack user token", BRIG_SEV_HIGH,
      "\\b(xox[pe](?:-[0-9]{10,13}){3}-[a-zA-Z0-9-]{28,34})", 1, 3.0, "xoxp-|xoxe-", NULL, false },
    { "slack-app-token", "Slack app-level token", BRIG_SEV_HIGH,
      "(?i)\\b(xapp-\\d-[a-z0-9]+-\\d+-[a-z0-9]+)\\b", 1, 3.0, "xapp", NULL, false },
    { "slack-legacy-token", "Slack legacy token", BRIG_SEV_HIGH,
      "\\b(xox[os]-\\d+-\\d+-\\d+-[a-fA-F\\d]+)", 1, 3.0, "xoxo|xoxs", NULL, false },
    { "slack-legacy-workspace-token", "Slack legacy workspace token", BRIG_SEV_HIGH,
      "\\b(xox[ar]-(?:\\d-)?[0-9a-zA-Z]{8,48})", 1, 3.0, "xoxa|xoxr", NULL, false },
    { "slack-webhook-url", "Slack incoming webhook URL", BRIG_SEV_HIGH,
      "((?:https?://)?hooks\\.slack\\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/]{43,56})", 1, 0,
      "hooks.slack.com", NULL, false },
    { "stripe-access-token", "Stripe secret or restricted key", BRIG_SEV_CRITICAL,
      "\\b((?:sk|rk)_(?:test|live|prod)_[a-zA-Z0-9]{10,99})" END, 1, 2.0,
      "sk_test|sk_live|sk_prod|rk_test|rk_live|rk_prod", NULL, false },
    { "twilio-api-key", "Twilio API key", BRIG_SEV_HIGH,
      "\\b(SK[0-9a-fA-F]{32})\\b", 1, 3.0, "sk", NULL, false },
    { "twilio-account-sid", "Twilio account SID (identifier paired with an auth token)", BRIG_SEV_MEDIUM,
      "\\b(AC[0-9a-f]{32})\\b", 1, 3.0, "ac", NULL, false },
    { "sendgrid-api-token", "SendGrid API key", BRIG_SEV_HIGH,
      "\\b(SG\\.[\\w-]{22}\\.[\\w-]{43})\\b", 1, 3.0, "sg.", NULL, false },
    { "npm-access-token", "npm access token", BRIG_SEV_CRITICAL,
      "(?i)\\b(npm_[a-z0-9]{36})" END, 1, 3.0, "npm_", NULL, false },
    { "pypi-upload-token", "PyPI upload token", BRIG_SEV_CRITICAL,
      "\\b(pypi-AgEIcHlwaS5vcmc[\\w-]{50,1000})", 1, 0, "pypi-ageichlwas5vcmc", NULL, false },
    { "private-key", "Private key (PEM, OpenSSH, PGP)", BRIG_SEV_CRITICAL,
      "(?i)-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----[\\s\\S-]{64,}?KEY(?: BLOCK)?-----", 0, 0,
      "-----begin", NULL, false },
    { "jwt", "JSON Web Token", BRIG_SEV_MEDIUM,
      "\\b(ey[a-zA-Z0-9]{17,}\\.ey[a-zA-Z0-9/\\\\_-]{17,}\\.(?:[a-zA-Z0-9/\\\\_-]{10,}={0,2})?)" END, 1, 3.0,
      "ey", NULL, false },
    { "digitalocean-pat", "DigitalOcean personal access token", BRIG_SEV_CRITICAL,
      "\\b(dop_v1_[a-f0-9]{64})\\b", 1, 3.0, "dop_v1_", NULL, false },
    { "huggingface-access-token", "Hugging Face access token", BRIG_SEV_HIGH,
      "\\b(hf_[a-zA-Z]{34})\\b", 1, 3.0, "hf_", NULL, false },
    { "openai-api-key", "OpenAI API key", BRIG_SEV_CRITICAL,
      "\\b(sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{58,74}T3BlbkFJ[A-Za-z0-9_-]{58,74}|sk-[a-zA-Z0-9]{20}T3BlbkFJ[a-zA-Z0-9]{20})\\b", 1, 3.0,
      "t3blbkfj", NULL, false },
    { "anthropic-api-key", "Anthropic API key", BRIG_SEV_CRITICAL,
      "\\b(sk-ant-(?:api03|admin01)-[a-zA-Z0-9_-]{93}AA)\\b", 1, 3.0, "sk-ant-", NULL, false },
    { "shopify-access-token", "Shopify access, custom-app, private-app or shared-secret token", BRIG_SEV_HIGH,
      "\\b((?:shpat|shpca|shppa|shpss)_[a-fA-F0-9]{32})\\b", 1, 3.0, "shpat_|shpca_|shppa_|shpss_", NULL, false },
    { "doppler-api-token", "Doppler API token", BRIG_SEV_HIGH,
      "\\b(dp\\.pt\\.[a-zA-Z0-9]{43})\\b", 1, 3.0, "dp.pt.", NULL, false },
    { "postman-api-token", "Postman API key", BRIG_SEV_HIGH,
      "\\b(PMAK-[a-fA-F0-9]{24}-[a-fA-F0-9]{34})\\b", 1, 3.0, "pmak-", NULL, false },
    { "linear-api-key", "Linear API key", BRIG_SEV_HIGH,
      "\\b(lin_api_[a-zA-Z0-9]{40})\\b", 1, 3.0, "lin_api_", NULL, false },
    { "databricks-api-token", "Databricks API token", BRIG_SEV_HIGH,
      "\\b(dapi[a-f0-9]{32}(?:-\\d)?)\\b", 1, 3.0, "dapi", NULL, false },
    { "grafana-service-account-token", "Grafana service account token", BRIG_SEV_HIGH,
      "\\b(glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8})\\b", 1, 3.0, "glsa_", NULL, false },
    { "new-relic-user-api-key", "New Relic user API key", BRIG_SEV_HIGH,
      "\\b(NRAK-[A-Z0-9]{27})\\b", 1, 3.0, "nrak-", NULL, false },
    { "age-secret-key", "age encryption secret key", BRIG_SEV_CRITICAL,
      "\\b(AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})\\b", 1, 0, "age-secret-key-1", NULL, false },
    { "pulumi-api-token", "Pulumi access token", BRIG_SEV_HIGH,
      "\\b(pul-[a-f0-9]{40})\\b", 1, 3.0, "pul-", NULL, false },
    { "docker-config-auth", "Registry credentials in a Docker config.json \"auth\" field", BRIG_SEV_HIGH,
      "\"auths?\"\\s*:\\s*\\{[^}]{0,400}?\"auth\"\\s*:\\s*\"([A-Za-z0-9+/]{12,}={0,2})\"", 1, 3.0,
      "\"auth\"", NULL, false },
    { "url-credentials", "Password embedded in a URL (scheme://user:password@host)", BRIG_SEV_HIGH,
      "\\b[a-z][a-z0-9+.-]{1,20}://[^\\s:@/'\"]{1,64}:([^\\s:@/'\"]{6,128})@[a-zA-Z0-9.-]+", 1, 3.0,
      "://", NULL, false },
    { "generic-api-key", "Generic secret assignment (password, secret, token, API key)", BRIG_SEV_HIGH,
      "(?i)[\\w.-]{0,50}?(?:access|auth|(?-i:[Aa]pi|API)|credential|creds|key|passw(?:or)?d|pwd|secret|token)"
      "(?:[ \\t\\w.-]{0,20})[\\s'\"]{0,3}(?:=|>|:{1,3}=|\\|\\||:|=>|\\?=|,)[\\x60'\"\\s=]{0,5}"
      "([\\w.=-]{10,150}|[a-z0-9][a-z0-9+/]{11,150}={0,3})" END, 1, 3.5,
      "access|api|auth|key|credential|creds|passwd|password|pwd|secret|token", NULL, true },
};

/* Assignments whose left-hand side names something that is not a secret
 * (key ids, sizes, token types ...): applied to the whole generic match. */
static const char *const generic_allow_match[] = {
    "(?i)(?:access(?:ibility|or)|access[_.-]?(?:id|level|log|mode|control)|random[_.-]?access|api[_.-]?(?:id|name|version|level|url|base|endpoint|group)"
    "|rapid|capital|author|authority|authenticat(?:e|ed|ion|or)|credentials?[_.-]?(?:id|file|path|provider)|withcredentials"
    "|(?:bucket|foreign|hot|idx|natural|primary|pub(?:lic)?|schema|sequence|sort|partition|cache|dict|map|hash|lookup|row|column|unique)[_.-]?key"
    "|key[_.-]?(?:alias|board|code|frame|id|length|len|mesh|name|pair|press(?:ed)?|ring|selector|signature|size|stone|storetype|type|word|up|down|left|right|file|path|usage|format|bits|spec|fingerprint|server|index|value|event|map)"
    "|keyspace|keystore|keychain|keyboard|keyword|monkey|turkey|hockey|donkey|jockey"
    "|(?:issuer|pub(?:lic)?|verify|verification)[_.-]?key|secret[_.-]?(?:name|ref|key[_.-]?ref|id|type|path|file)"
    "|token[_.-]?(?:endpoint|type|uri|url|length|len|name|id|file|path|kind|count|expir\\w*|lifetime|ttl)|tokeni[sz]\\w*"
    "|passw(?:or)?d[_.-]?(?:file|path|policy|length|len|min|max|hash(?:er)?|prompt|field|reset|expir\\w*|change|required))",
};

/* Lines about digests, pins and public keys carry public values, not secrets. */
static const char *const generic_allow_line[] = {
    "(?i)(?:sha-?(?:1|224|256|384|512)|md5|checksum|digest|integrity|fingerprint|public[ _.-]?key|pub[_.-]?key|keydata)",
};

/* Values that are placeholders, templating or code rather than a literal secret. */
static const char *const global_allow_regexes[] = {
    "(?i)^(?:true|false|null|nil|none|undefined)$",
    "^(?:a+|b+|c+|d+|e+|f+|g+|h+|i+|j+|k+|l+|m+|n+|o+|p+|q+|r+|s+|t+|u+|v+|w+|x+|y+|z+|\\*+|\\.+|0+|1+|x+|X+)$",
    "^\\$(?:\\d+|\\{\\d+\\})$",
    "^\\$(?:[A-Z_]+|[a-z_]+)$",
    "^\\$\\{(?:[A-Z_]+|[a-z_]+)\\}$",
    "^\\{\\{[ \\t]*[\\w ().|]+[ \\t]*\\}\\}$",
    "^%(?:[A-Z_]+|[a-z_]+)%$",
    "^@(?:[A-Z_]+|[a-z_]+)@$",
    "^/(?:bin|etc|home|opt|tmp|usr|var|lib|run|srv|proc|sys|dev)/[\\w ./-]+$",
    "^<[\\w .-]+>$",                          /* <password> */
    "^\\[[\\w .-]+\\]$",                     /* [password] */
};

/* The generic rule only: identifiers in code and prose are not secrets. */
static const char *const generic_allow_secret[] = {
    "^[a-zA-Z_.-]+$",                      /* a word or dotted identifier */
    /* camel/PascalCase made of real word-like parts (random tokens alternate
     * case far more often than every third letter) */
    "^[a-z]{2,}(?:[A-Z][a-z]{2,})+[0-9]*$",
    "^(?:[A-Z][a-z]{2,}){2,}[0-9]*$",
    "^[a-z0-9]+(?:[_.-][a-z0-9]+)+$",      /* snake/kebab/dotted lower-case name */
    "^[A-Z0-9]+(?:_[A-Z0-9]+)+$",          /* CONSTANT_NAME */
    "^\\d+(?:\\.\\d+)*$",                  /* numbers, versions */
    "^[0-9a-f]{7,40}$",                    /* commit ids and content hashes */
    "_t;?$",                               /* C/Pascal type names */
    "^(?:[A-Za-z_][A-Za-z0-9_]*[+.])+[A-Za-z_][A-Za-z0-9_]*;?$",   /* expressions: a+b, Module.NAME */
    "^[A-Za-z_][A-Za-z0-9_]*\\(",            /* a call */
};

/* Placeholder words: a generic "secret" containing one is not a credential. */
static const char *const generic_stopwords[] = {
    "example", "sample", "changeme", "change_me", "change-me", "placeholder", "dummy", "redacted",
    "your_", "your-", "yourpass", "<your", "xxxx", "****", "####", "....", "todo", "fixme", "notasecret",
    "not_a_secret", "not-a-secret", "insert", "replace", "default", "password", "secret", "mysecret",
    "mypassword", "foobar", "lorem", "ipsum", "qwerty", "abcdef", "123456", "letmein", "admin", "string",
    "value", "token_here", "key_here", "getenv", "environ", "config", "settings", "options", "params",
    "request", "response", "function", "return", "self.", "this.", "const", "process.env", "os.environ",
    "argument", "parameter", "variable", "header", "cookie", "session", "undefined", "optional",
    "required", "boolean", "integer", "unsigned", "static", "struct", "public", "private", "protected",
    "license", "copyright", "version", "module", "package", "import", "export", "include", "debian",
    /* words that show up in identifiers next to key/token/auth in code */
    "token", "privkey", "pubkey", "handler", "entity", "windows", "crypto", "intrinsic", "vector", "length",
    "encoding", "charset", "padding", "descriptor", "protobuf", "certificate", "callback", "buffer", "result",
    "instance", "resource", "control", "message", "record", "destroy", "logon", "routine", "procedure", "pointer",
    "integer", "double", "float", "char", "array", "object", "class", "method", "field", "index", "count",
    "format", "create", "update", "delete", "remove", "generate", "import", "export", "extract", "validate",
    "modify", "question", "absolute", "section", "supplemental", "unknown", "pixel", "shift", "ctrl", "keyboard",
    "event", "filter", "parser", "reader", "writer", "stream", "socket", "server", "client", "thread",
    "handle", "context", "manager", "factory", "provider", "service", "registry", "container", "element",
    "attribute", "property", "interface", "abstract", "template", "typedef", "namespace", "exception", "error",
};

static char **split_keywords(const char *s, size_t *n) {
    *n = 0;
    if (!s || !*s) return NULL;
    size_t cap = 0;
    char **v = NULL;
    while (*s) {
        const char *e = strchr(s, '|');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        v = xgrow(v, &cap, *n + 1, sizeof *v);
        v[(*n)++] = xstrndup(s, len);
        s += len + (e ? 1 : 0);
    }
    return v;
}

static char **dup_list(const char *const *src, size_t n) {
    char **v = xcalloc(n ? n : 1, sizeof *v);
    for (size_t i = 0; i < n; i++) v[i] = xstrdup(src[i]);
    return v;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

size_t brig_secret_default_count(void) { return COUNT(builtin); }

void brig_secret_config_default(brig_secret_config *cfg) {
    memset(cfg, 0, sizeof *cfg);
    cfg->title = xstrdup("brig default secret rules");
    cfg->n_rules = COUNT(builtin);
    cfg->rules = xcalloc(cfg->n_rules, sizeof *cfg->rules);
    for (size_t i = 0; i < COUNT(builtin); i++) {
        const builtin_rule *b = &builtin[i];
        brig_secret_rule *r = &cfg->rules[i];
        r->id = xstrdup(b->id);
        r->description = xstrdup(b->desc);
        r->severity = b->sev;
        r->regex = xstrdup(b->regex);
        r->secret_group = b->group;
        r->entropy = b->entropy;
        r->generic = b->generic;
        r->keywords = split_keywords(b->keywords, &r->n_keywords);
        if (b->generic) {
            r->n_allow = 3;
            r->allow = xcalloc(3, sizeof *r->allow);
            r->allow[2].target = BRIG_AL_TARGET_LINE;
            r->allow[2].regexes = dup_list(generic_allow_line, COUNT(generic_allow_line));
            r->allow[2].n_regexes = COUNT(generic_allow_line);
            r->allow[0].target = BRIG_AL_TARGET_MATCH;
            r->allow[0].regexes = dup_list(generic_allow_match, COUNT(generic_allow_match));
            r->allow[0].n_regexes = COUNT(generic_allow_match);
            r->allow[1].target = BRIG_AL_TARGET_SECRET;
            r->allow[1].regexes = dup_list(generic_allow_secret, COUNT(generic_allow_secret));
            r->allow[1].n_regexes = COUNT(generic_allow_secret);
            r->allow[1].stopwords = dup_list(generic_stopwords, COUNT(generic_stopwords));
            r->allow[1].n_stopwords = COUNT(generic_stopwords);
        } else if (b->allow_secret) {
            r->n_allow = 1;
            r->allow = xcalloc(1, sizeof *r->allow);
            r->allow[0].regexes = dup_list(&b->allow_secret, 1);
            r->allow[0].n_regexes = 1;
        }
    }
    cfg->n_global = 1;
    cfg->global = xcalloc(1, sizeof *cfg->global);
    cfg->global[0].description = xstrdup("placeholders and templating");
    cfg->global[0].regexes = dup_list(global_allow_regexes, COUNT(global_allow_regexes));
    cfg->global[0].n_regexes = COUNT(global_allow_regexes);
}
