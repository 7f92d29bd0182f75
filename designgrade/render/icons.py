"""Which icon each component gets: a tech's own icon when mingrammer/diagrams has one,
else a line glyph for its kind, one glyph per kind.

Icons are named by their diagrams class path (``onprem.queue.Kafka``). The pictures use
copies made once by ``scripts/build_icons.py`` (icondata.py): cropped to their artwork,
scaled to one size, and, for the kind glyphs, drawn in one slate colour, so every icon
has the same size and the glyphs the same weight. Nothing here imports diagrams.
"""

from __future__ import annotations

from typing import Optional

from ..techs import normalize

# tech (normalized as designgrade.techs.normalize does) -> diagrams class path
TECH_ICONS: dict[str, str] = {
    # clients
    "web": "onprem.client.Client", "browser": "onprem.client.Client", "desktop": "onprem.client.Client",
    "ios": "generic.device.Mobile", "android": "generic.device.Mobile", "mobile": "generic.device.Mobile",
    "users": "onprem.client.Users",
    # streams and queues
    "kafka": "onprem.queue.Kafka", "kafka_streams": "onprem.queue.Kafka", "ksqldb": "onprem.queue.Kafka",
    "msk": "aws.analytics.ManagedStreamingForKafka", "kinesis": "aws.analytics.KinesisDataStreams",
    "pubsub": "gcp.analytics.Pubsub", "rabbitmq": "onprem.queue.Rabbitmq", "nats": "onprem.queue.Nats",
    "eventhubs": "azure.analytics.EventHubs",
    # databases and key-value stores
    "postgres": "onprem.database.Postgresql", "postgresql": "onprem.database.Postgresql",
    "pgvector": "onprem.database.Postgresql", "mysql": "onprem.database.Mysql",
    "mariadb": "onprem.database.Mariadb", "mongodb": "onprem.database.Mongodb",
    "oracle": "onprem.database.Oracle", "sqlserver": "onprem.database.Mssql",
    "cockroachdb": "onprem.database.Cockroachdb", "aurora": "aws.database.Aurora",
    "spanner": "gcp.database.Spanner", "dynamodb": "aws.database.Dynamodb",
    "cassandra": "onprem.database.Cassandra", "scylladb": "onprem.database.Scylla",
    "hbase": "onprem.database.Hbase", "bigtable": "gcp.database.Bigtable",
    "aerospike": "onprem.inmemory.Aerospike", "redis": "onprem.inmemory.Redis",
    "memcached": "onprem.inmemory.Memcached", "elasticache": "aws.database.Elasticache",
    "clickhouse": "onprem.database.Clickhouse", "neo4j": "onprem.database.Neo4J",
    # lakes and warehouses
    "s3": "aws.storage.S3", "gcs": "gcp.storage.GCS", "hdfs": "onprem.analytics.Hadoop",
    "bigquery": "gcp.analytics.BigQuery", "snowflake": "saas.analytics.Snowflake",
    "redshift": "aws.analytics.Redshift", "hive": "onprem.analytics.Hive",
    "databricks": "onprem.analytics.Databricks", "synapse": "azure.analytics.SynapseAnalytics",
    # processing
    "spark": "onprem.analytics.Spark", "spark_streaming": "onprem.analytics.Spark",
    "flink": "onprem.analytics.Flink", "beam": "onprem.analytics.Beam", "dbt": "onprem.analytics.Dbt",
    "dataflow": "gcp.analytics.Dataflow", "emr": "aws.analytics.EMR", "presto": "onprem.analytics.Presto",
    "trino": "onprem.analytics.Trino", "storm": "onprem.analytics.Storm", "glue": "aws.analytics.Glue",
    "dataproc": "gcp.analytics.Dataproc",
    # orchestration, training, registries (MLflow's artwork is white on clear: its kind glyph reads better)
    "airflow": "onprem.workflow.Airflow", "kubeflow": "onprem.workflow.Kubeflow",
    "nifi": "onprem.workflow.Nifi", "argo": "onprem.gitops.Argocd", "composer": "gcp.analytics.Composer",
    "polyaxon": "onprem.mlops.Polyaxon",
    "sagemaker": "aws.ml.Sagemaker", "sagemaker_pipelines": "aws.ml.Sagemaker",
    "sagemaker_feature_store": "aws.ml.Sagemaker", "sagemaker_batch_transform": "aws.ml.Sagemaker",
    "sagemaker_training": "aws.ml.SagemakerTrainingJob",
    "sagemaker_model_registry": "aws.ml.SagemakerModel", "sagemaker_endpoint": "aws.ml.SagemakerModel",
    "vertex_ai": "gcp.ml.VertexAI", "vertex_pipelines": "gcp.ml.VertexAI",
    "vertex_feature_store": "gcp.ml.VertexAI", "vertex_model_registry": "gcp.ml.VertexAI",
    "vertex_endpoint": "gcp.ml.VertexAI", "databricks_feature_store": "onprem.analytics.Databricks",
    # serving, languages, containers
    "fastapi": "programming.framework.FastAPI", "flask": "programming.framework.Flask",
    "django": "programming.framework.Django", "spring": "programming.framework.Spring",
    "starlette": "programming.framework.Starlette", "graphql": "programming.framework.Graphql",
    "java": "programming.language.Java", "python": "programming.language.Python",
    "go": "programming.language.Go", "golang": "programming.language.Go",
    "nodejs": "programming.language.Nodejs", "rust": "programming.language.Rust",
    "scala": "programming.language.Scala", "kotlin": "programming.language.Kotlin",
    "docker": "onprem.container.Docker", "kubernetes": "k8s.compute.Pod", "k8s": "k8s.compute.Pod",
    # network
    "alb": "aws.network.ALB", "elb": "aws.network.ELB", "nlb": "aws.network.NLB",
    "nginx": "onprem.network.Nginx", "envoy": "onprem.network.Envoy", "haproxy": "onprem.network.Haproxy",
    "ingress": "k8s.network.Ingress", "traefik": "onprem.network.Traefik", "istio": "onprem.network.Istio",
    "gclb": "gcp.network.LoadBalancing", "kong": "onprem.network.Kong", "apigee": "gcp.api.Apigee",
    "aws_api_gateway": "aws.network.APIGateway", "cdn": "oci.connectivity.CDN",
    "cloudfront": "aws.network.CloudFront",
    # monitoring
    "prometheus": "onprem.monitoring.Prometheus", "grafana": "onprem.monitoring.Grafana",
    "datadog": "onprem.monitoring.Datadog", "newrelic": "onprem.monitoring.Newrelic",
    "sentry": "onprem.monitoring.Sentry", "splunk": "onprem.monitoring.Splunk",
    "cloudwatch": "aws.management.Cloudwatch",
    # search, vectors and LLMs
    "qdrant": "onprem.database.Qdrant", "elasticsearch": "elastic.elasticsearch.Elasticsearch",
    "solr": "onprem.search.Solr",
    "bedrock": "aws.ml.Bedrock", "bedrock_guardrails": "aws.ml.Bedrock",
    "azure_openai": "azure.ml.AzureOpenAI",
}

# kind -> its glyph: a line icon of the OCI set (one stroke weight), one per kind, so two
# roles never share a picture. The llm glyph is SageMaker's model brain, redrawn in the
# glyphs' colour.
KIND_ICONS: dict[str, str] = {
    "client": "oci.governance.Groups",
    "source_db": "oci.compute.BM",
    "database": "oci.database.Autonomous",
    "event_stream": "oci.database.Stream",
    "data_lake": "oci.storage.Buckets",
    "data_warehouse": "oci.database.DatabaseService",
    "stream_processor": "oci.database.Dis",
    "batch_processor": "oci.database.BigdataService",
    "data_validation": "oci.monitoring.HealthCheck",
    "feature_store": "oci.network.RouteTable",
    "vector_db": "oci.monitoring.Search",
    "training_pipeline": "oci.monitoring.Workflow",
    "experiment_tracking": "oci.governance.Audit",
    "model_registry": "oci.compute.OCIR",
    "batch_inference": "oci.database.DMS",
    "online_serving": "oci.database.Science",
    "key_value_store": "oci.storage.BlockStorage",
    "cache": "oci.storage.ElasticPerformance",
    "semantic_cache": "oci.storage.ObjectStorage",
    "load_balancer": "oci.network.LoadBalancer",
    "api_gateway": "oci.devops.APIGateway",
    "service": "oci.devops.APIService",
    "llm_gateway": "oci.network.ServiceGateway",
    "experimentation": "oci.monitoring.Events",
    "monitoring": "oci.monitoring.Telemetry",
    "llm": "aws.ml.SagemakerModel",
    "embedding_model": "oci.network.Vcn",
    "guardrails": "oci.network.SecurityLists",
    "prompt_registry": "oci.governance.Tagging",
    "llm_evaluation": "oci.governance.Logging",
}
UNKNOWN_ICON = "oci.governance.OCID"                # a kind designgrade does not know, no guess
GHOST_ICON = "oci.connectivity.DisconnectedRegions"  # a flow's end that is not a component

# Drawn in the glyphs' slate colour (``scripts/build_icons.py``).
GLYPHS = frozenset({*KIND_ICONS.values(), UNKNOWN_ICON, GHOST_ICON})

# A tech names a kind-specific icon only where it makes sense: a client with tech
# "kafka" is not drawn as Kafka. Techs in this set may appear under any kind.
_CLIENT_TECHS = frozenset({"web", "browser", "desktop", "ios", "android", "mobile", "users"})


def icon_path(kind: Optional[str], tech: Optional[str]) -> str:
    """The diagrams class path for a component."""
    if tech:
        key = normalize(str(tech))
        found = TECH_ICONS.get(key)
        if found and (key not in _CLIENT_TECHS or kind == "client"):
            return found
    return KIND_ICONS.get(kind or "", UNKNOWN_ICON)


def has_own_icon(tech: Optional[str]) -> bool:
    return bool(tech) and normalize(str(tech)) in TECH_ICONS


def all_icons() -> list[str]:
    """Every class path a picture can use, sorted."""
    return sorted({*TECH_ICONS.values(), *GLYPHS})


def icon_png(path: str) -> Optional[bytes]:
    """The prepared PNG of an icon (``scripts/build_icons.py``), or None if it has none."""
    import base64

    from .icondata import ICONS

    data = ICONS.get(path)
    return base64.b64decode(data) if data else None


def resource_file(path: str) -> Optional[str]:
    """Where diagrams keeps the original artwork of an icon, for DOT files that name it."""
    import importlib.util
    import os

    from .icondata import SOURCES

    spec = importlib.util.find_spec("diagrams")
    rel = SOURCES.get(path)
    if spec is None or spec.origin is None or rel is None:
        return None
    return os.path.join(os.path.dirname(os.path.dirname(spec.origin)), "resources", *rel.split("/"))
