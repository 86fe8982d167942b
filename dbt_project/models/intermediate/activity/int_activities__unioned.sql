{#- The unified activity stream (DESIGN.md "Metric definitions", Activity): one dated action
    per row by one account. Slack message, thread reply, reaction, channel join; Discourse
    topic, reply, like, accepted solution; Luma registration, check-in. Bot posts are left
    out; deleted messages and posts stay, flagged, so the incremental activity table can
    retract them. -#}
with

slack_messages as (

    select * from {{ ref('stg_slack__messages') }}

),

slack_channels as (

    select * from {{ ref('stg_slack__channels') }}

),

slack_reactions as (

    select * from {{ ref('stg_slack__message_reactions') }}

),

discourse_topics as (

    select * from {{ ref('stg_discourse__topics') }}

),

discourse_posts as (

    select * from {{ ref('stg_discourse__posts') }}

),

discourse_likes as (

    select * from {{ ref('stg_discourse__post_likes') }}

),

luma_guests as (

    select * from {{ ref('stg_luma__guests') }}
    where user_api_id is not null

),

luma_events as (

    select * from {{ ref('stg_luma__events') }}

),

slack_message_activities as (

    select
        {{ dbt.concat(["'slack:message:'", "slack_messages.message_id"]) }} as activity_id,
        'slack' as platform,
        slack_messages.user_id as platform_user_id,
        case
            when slack_messages.is_channel_join then 'channel_join'
            when slack_messages.is_thread_reply then 'thread_reply'
            else 'message'
        end as activity_type,
        slack_messages.message_at as occurred_at,
        slack_messages.channel_id as channel_id,
        slack_channels.channel_name as channel_name,
        coalesce(slack_messages.parent_message_id, slack_messages.message_id) as thread_id,
        slack_messages.is_top_level
            and not slack_messages.is_channel_join
            and slack_channels.channel_name in ({{ sql_string_list(var('help_channels')) }}) as is_question,
        slack_messages.is_deleted
    from slack_messages
    left join slack_channels
        on slack_messages.channel_id = slack_channels.channel_id
    where slack_messages.user_id is not null
        and not slack_messages.is_bot_message
        and (
            slack_messages.subtype is null
            or slack_messages.subtype in ('thread_broadcast', 'channel_join', 'file_share', 'me_message')
        )

),

slack_reaction_activities as (

    select
        {{ dbt.concat(["'slack:reaction:'", "slack_reactions.message_reaction_id"]) }} as activity_id,
        'slack' as platform,
        slack_reactions.user_id as platform_user_id,
        'reaction' as activity_type,
        {#- Slack records no reaction time: the reacted message's time stands in -#}
        slack_messages.message_at as occurred_at,
        slack_reactions.channel_id as channel_id,
        slack_channels.channel_name as channel_name,
        coalesce(slack_messages.parent_message_id, slack_reactions.message_id) as thread_id,
        false as is_question,
        coalesce(slack_messages.is_deleted, false) as is_deleted
    from slack_reactions
    inner join slack_messages
        on slack_reactions.message_id = slack_messages.message_id
    left join slack_channels
        on slack_reactions.channel_id = slack_channels.channel_id

),

discourse_openers as (

    select topic_id, user_id, created_at, is_deleted
    from discourse_posts
    where is_topic_opener

),

discourse_topic_activities as (

    {#- the topic's author: the topic's user_id, else the author of its first post -#}
    select
        {{ dbt.concat(["'discourse:topic:'", "discourse_topics.topic_id"]) }} as activity_id,
        'discourse' as platform,
        coalesce(discourse_topics.user_id, discourse_openers.user_id) as platform_user_id,
        'topic' as activity_type,
        coalesce(discourse_topics.created_at, discourse_openers.created_at) as occurred_at,
        discourse_topics.category_id as channel_id,
        cast(null as {{ dbt.type_string() }}) as channel_name,
        discourse_topics.topic_id as thread_id,
        true as is_question,
        coalesce(discourse_openers.is_deleted, false) as is_deleted
    from discourse_topics
    left join discourse_openers
        on discourse_topics.topic_id = discourse_openers.topic_id
    where coalesce(discourse_topics.user_id, discourse_openers.user_id) is not null

),

discourse_reply_activities as (

    select
        {{ dbt.concat(["'discourse:reply:'", "discourse_posts.post_id"]) }} as activity_id,
        'discourse' as platform,
        discourse_posts.user_id as platform_user_id,
        'reply' as activity_type,
        discourse_posts.created_at as occurred_at,
        discourse_topics.category_id as channel_id,
        cast(null as {{ dbt.type_string() }}) as channel_name,
        discourse_posts.topic_id as thread_id,
        false as is_question,
        discourse_posts.is_deleted
    from discourse_posts
    left join discourse_topics
        on discourse_posts.topic_id = discourse_topics.topic_id
    where discourse_posts.is_regular
        and not discourse_posts.is_topic_opener
        and discourse_posts.user_id is not null

),

discourse_like_activities as (

    select
        {{ dbt.concat(["'discourse:like:'", "discourse_likes.post_like_id"]) }} as activity_id,
        'discourse' as platform,
        discourse_likes.user_id as platform_user_id,
        'like' as activity_type,
        coalesce(discourse_likes.created_at, discourse_posts.created_at) as occurred_at,
        discourse_topics.category_id as channel_id,
        cast(null as {{ dbt.type_string() }}) as channel_name,
        discourse_posts.topic_id as thread_id,
        false as is_question,
        coalesce(discourse_posts.is_deleted, false) as is_deleted
    from discourse_likes
    inner join discourse_posts
        on discourse_likes.post_id = discourse_posts.post_id
    left join discourse_topics
        on discourse_posts.topic_id = discourse_topics.topic_id

),

discourse_solution_activities as (

    select
        {{ dbt.concat(["'discourse:accepted_solution:'", "discourse_posts.post_id"]) }} as activity_id,
        'discourse' as platform,
        discourse_posts.user_id as platform_user_id,
        'accepted_solution' as activity_type,
        {#- Discourse records no acceptance time: the answer's time stands in -#}
        discourse_posts.created_at as occurred_at,
        discourse_topics.category_id as channel_id,
        cast(null as {{ dbt.type_string() }}) as channel_name,
        discourse_posts.topic_id as thread_id,
        false as is_question,
        discourse_posts.is_deleted
    from discourse_posts
    left join discourse_topics
        on discourse_posts.topic_id = discourse_topics.topic_id
    where discourse_posts.user_id is not null
        and (
            discourse_posts.is_accepted_answer
            or discourse_posts.post_id = discourse_topics.accepted_answer_post_id
        )

),

luma_registration_activities as (

    select
        {{ dbt.concat(["'luma:registration:'", "luma_guests.guest_id"]) }} as activity_id,
        'luma' as platform,
        luma_guests.user_api_id as platform_user_id,
        'registration' as activity_type,
        luma_guests.registered_at as occurred_at,
        luma_guests.event_id as channel_id,
        luma_events.series as channel_name,
        luma_guests.event_id as thread_id,
        false as is_question,
        false as is_deleted
    from luma_guests
    left join luma_events
        on luma_guests.event_id = luma_events.event_id
    where luma_guests.registered_at is not null

),

luma_check_in_activities as (

    select
        {{ dbt.concat(["'luma:check_in:'", "luma_guests.guest_id"]) }} as activity_id,
        'luma' as platform,
        luma_guests.user_api_id as platform_user_id,
        'check_in' as activity_type,
        luma_guests.checked_in_at as occurred_at,
        luma_guests.event_id as channel_id,
        luma_events.series as channel_name,
        luma_guests.event_id as thread_id,
        false as is_question,
        false as is_deleted
    from luma_guests
    left join luma_events
        on luma_guests.event_id = luma_events.event_id
    where luma_guests.checked_in_at is not null

),

unioned as (

    select * from slack_message_activities
    union all
    select * from slack_reaction_activities
    union all
    select * from discourse_topic_activities
    union all
    select * from discourse_reply_activities
    union all
    select * from discourse_like_activities
    union all
    select * from discourse_solution_activities
    union all
    select * from luma_registration_activities
    union all
    select * from luma_check_in_activities

)

select * from unioned
where occurred_at is not null
