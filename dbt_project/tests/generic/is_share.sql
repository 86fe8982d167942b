{#- A rate or share: null or between 0 and 1. -#}
{% test is_share(model, column_name) %}
select {{ column_name }}
from {{ model }}
where {{ column_name }} < 0 or {{ column_name }} > 1
{% endtest %}
