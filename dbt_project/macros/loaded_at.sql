{#- The start of this dbt run (UTC) as a timestamp: the `_loaded_at` of every row a model
    writes in the run. Incremental models keep the old value on rows they do not re-write,
    so `_loaded_at > t` selects what changed since t. -#}
{% macro loaded_at() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}
