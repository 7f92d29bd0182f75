"""The technologies designgrade knows, by kind (design-format.md's typical-tech column and more)."""

from __future__ import annotations

_TYPICAL: dict[str, tuple[str, ...]] = {
    "client": ("web", "ios", "android", "mobile", "browser", "tv", "desktop", "partner_api", "users"),
    "source_db": ("postgres", "postgresql", "mysql", "aurora", "spanner", "mongodb", "dynamodb", "oracle",
                  "sqlserver", "cockroachdb"),
    "event_stream": ("kafka", "kinesis", "pubsub", "pulsar", "redpanda", "msk", "eventhubs"),
    "data_lake": ("s3", "gcs", "hdfs", "delta", "iceberg", "hudi", "adls", "lakehouse"),
    "data_warehouse": ("bigquery", "snowflake", "redshift", "hive", "databricks", "clickhouse", "synapse"),
    "stream_processor": ("flink", "spark_streaming", "kafka_streams", "beam", "dataflow", "ksqldb", "samza"),
    "batch_processor": ("spark", "beam", "dbt", "dataflow", "emr", "databricks", "hive", "presto", "trino",
                        "pyspark", "sql", "bigquery", "snowflake", "airflow", "pandas", "polars", "scalding",
                        "flink", "ray", "glue"),
    "data_validation": ("great_expectations", "tfdv", "deequ", "pandera", "soda", "in_house"),
    "feature_store": ("feast", "sagemaker_feature_store", "tecton", "vertex_feature_store", "hopsworks",
                      "databricks_feature_store", "in_house"),
    "vector_db": ("faiss", "milvus", "pinecone", "qdrant", "weaviate", "pgvector", "elasticsearch",
                  "opensearch", "chroma", "scann", "vespa"),
    "training_pipeline": ("airflow", "kubeflow", "sagemaker_pipelines", "vertex_pipelines", "dagster",
                          "prefect", "metaflow", "flyte", "argo", "mlflow", "sagemaker", "vertex_ai", "tfx",
                          "pytorch", "tensorflow", "jax", "keras", "xgboost", "lightgbm", "catboost",
                          "scikit_learn", "sklearn", "spark", "spark_ml", "ray", "ray_train", "databricks",
                          "azure_ml", "horovod", "deepspeed", "tensorflow_federated", "vowpal_wabbit",
                          "python", "scalding"),
    "experiment_tracking": ("mlflow", "wandb", "neptune", "comet", "tensorboard"),
    "model_registry": ("mlflow", "sagemaker_model_registry", "vertex_model_registry", "wandb", "in_house"),
    "batch_inference": ("airflow", "spark", "beam", "dataflow", "sagemaker_batch_transform", "ray",
                        "kubeflow", "dagster", "pytorch", "tensorflow", "xgboost", "lightgbm", "onnxruntime",
                        "databricks", "bigquery_ml", "python", "scalding"),
    "online_serving": ("fastapi", "triton", "torchserve", "tf_serving", "kserve", "bentoml",
                       "sagemaker_endpoint", "seldon", "ray_serve", "vertex_endpoint", "flask", "grpc",
                       "onnxruntime", "onnx_runtime", "tensorrt", "pytorch", "tensorflow", "xgboost",
                       "lightgbm", "vllm", "tgi", "sagemaker", "vertex_ai", "java", "go", "python",
                       "vowpal_wabbit", "tensorflow_serving", "mlflow", "django"),
    "key_value_store": ("redis", "dynamodb", "cassandra", "bigtable", "scylladb", "aerospike", "rocksdb"),
    "cache": ("redis", "memcached", "elasticache", "cdn"),
    "load_balancer": ("alb", "elb", "nlb", "nginx", "envoy", "ingress", "haproxy", "gclb"),
    "api_gateway": ("kong", "apigee", "aws_api_gateway", "envoy", "nginx", "in_house"),
    "experimentation": ("statsig", "optimizely", "growthbook", "in_house", "launchdarkly", "eppo"),
    "monitoring": ("prometheus", "grafana", "evidently", "arize", "whylabs", "datadog", "fiddler",
                   "cloudwatch", "in_house"),
    "llm": ("openai", "anthropic", "vllm", "tgi", "bedrock", "vertex_ai", "azure_openai", "llama_cpp", "ollama"),
    "embedding_model": ("sentence_transformers", "openai_embeddings", "bedrock", "cohere", "vertex_ai",
                        "in_house"),
    "guardrails": ("nemo_guardrails", "llama_guard", "in_house", "guardrails_ai", "bedrock_guardrails"),
    "llm_gateway": ("litellm", "in_house", "portkey", "kong", "envoy"),
    "prompt_registry": ("mlflow", "langfuse", "in_house", "langsmith", "promptlayer"),
    "llm_evaluation": ("ragas", "deepeval", "in_house", "langsmith", "trulens", "promptfoo"),
    "semantic_cache": ("redis", "gptcache", "in_house"),
}
# service and database are open: any tech is fine there.
_OPEN_KINDS = frozenset({"service", "database"})


def techs_for(kind: str) -> tuple[str, ...]:
    return _TYPICAL.get(kind, ())


def normalize(tech: str) -> str:
    return tech.strip().lower().replace("-", "_").replace(" ", "_")


def is_known_tech(kind: str, tech: str) -> bool:
    # in_house is a fair answer for any kind: Michelangelo, Sibyl and Radar serve in-house.
    name = normalize(tech)
    return kind in _OPEN_KINDS or name == "in_house" or name in _TYPICAL.get(kind, ())
