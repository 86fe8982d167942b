-- Raw tables as dlt lands them (docs/CONTRACTS.md section 3), for building the dbt project
-- before (or without) the real ingestion. Types are the ones dlt produces.
create schema if not exists raw_slack;
create schema if not exists raw_discourse;
create schema if not exists raw_hubspot;
create schema if not exists raw_luma;

create table raw_slack.users (
    id text, team_id text, name text, real_name text, deleted boolean, is_bot boolean,
    is_app_user boolean, is_admin boolean, is_owner boolean, is_restricted boolean,
    is_ultra_restricted boolean, tz text, tz_offset bigint, updated bigint,
    profile__email text, profile__real_name text, profile__display_name text,
    profile__title text, profile__bot_id text,
    _dlt_load_id text, _dlt_id text
);
create table raw_slack.channels (
    id text, name text, is_archived boolean, is_private boolean, is_general boolean,
    created bigint, creator text, num_members bigint, topic__value text, purpose__value text,
    _dlt_load_id text, _dlt_id text
);
create table raw_slack.messages (
    channel_id text, ts text, thread_ts text, parent_user_id text, user_id text, bot_id text,
    type text, subtype text, text text, reply_count bigint, reply_users_count bigint,
    latest_reply text, edited_ts text, edited_user text, is_deleted boolean,
    message_at timestamp with time zone, client_msg_id text,
    _dlt_load_id text, _dlt_id text
);
create table raw_slack.message_reactions (
    channel_id text, message_ts text, reaction text, user_id text,
    _dlt_load_id text, _dlt_id text
);

create table raw_discourse.users (
    id bigint, username text, name text, email text, active boolean, admin boolean,
    moderator boolean, staged boolean, suspended_at timestamp with time zone,
    trust_level bigint, created_at timestamp with time zone,
    last_seen_at timestamp with time zone, location text,
    _dlt_load_id text, _dlt_id text
);
create table raw_discourse.categories (
    id bigint, name text, slug text, parent_category_id bigint, topic_count bigint,
    post_count bigint,
    _dlt_load_id text, _dlt_id text
);
create table raw_discourse.topics (
    id bigint, title text, slug text, category_id bigint, user_id bigint, posts_count bigint,
    reply_count bigint, like_count bigint, views bigint, created_at timestamp with time zone,
    last_posted_at timestamp with time zone, bumped_at timestamp with time zone,
    closed boolean, archived boolean, pinned boolean, has_accepted_answer boolean,
    accepted_answer_post_id bigint, tags text,
    _dlt_load_id text, _dlt_id text
);
create table raw_discourse.posts (
    id bigint, topic_id bigint, post_number bigint, user_id bigint, username text,
    created_at timestamp with time zone, updated_at timestamp with time zone,
    reply_to_post_number bigint, reply_to_user_id bigint, post_type bigint,
    like_count bigint, reply_count bigint, accepted_answer boolean,
    deleted_at timestamp with time zone, raw text,
    _dlt_load_id text, _dlt_id text
);
create table raw_discourse.post_likes (
    post_id bigint, user_id bigint, created_at timestamp with time zone,
    _dlt_load_id text, _dlt_id text
);

create table raw_hubspot.contacts (
    id text, email text, firstname text, lastname text, company text, jobtitle text,
    city text, country text, lifecyclestage text, hs_merged_object_ids text,
    commops_slack_user_id text, commops_discourse_user_id text,
    createdate timestamp with time zone, lastmodifieddate timestamp with time zone,
    archived boolean, created_at timestamp with time zone, updated_at timestamp with time zone,
    _dlt_load_id text, _dlt_id text
);
create table raw_hubspot.companies (
    id text, name text, domain text, industry text, city text, country text,
    createdate timestamp with time zone, hs_lastmodifieddate timestamp with time zone,
    archived boolean,
    _dlt_load_id text, _dlt_id text
);
create table raw_hubspot.deals (
    id text, dealname text, pipeline text, dealstage text, amount double,
    createdate timestamp with time zone, closedate timestamp with time zone,
    hs_is_closed_won boolean, hs_lastmodifieddate timestamp with time zone, archived boolean,
    _dlt_load_id text, _dlt_id text
);
create table raw_hubspot.deal_stages (
    pipeline_id text, pipeline_label text, stage_id text, label text, display_order bigint,
    is_closed boolean, probability double,
    _dlt_load_id text, _dlt_id text
);
create table raw_hubspot.contact_companies (
    contact_id text, company_id text,
    _dlt_load_id text, _dlt_id text
);
create table raw_hubspot.deal_contacts (
    deal_id text, contact_id text,
    _dlt_load_id text, _dlt_id text
);

create table raw_luma.events (
    api_id text, name text, description text, start_at timestamp with time zone,
    end_at timestamp with time zone, timezone text, url text, event_type text, series text,
    city text, country text, geo_address_json text, tags text,
    _dlt_load_id text, _dlt_id text
);
create table raw_luma.guests (
    api_id text, event_api_id text, user_api_id text, user_email text, user_name text,
    approval_status text, registered_at timestamp with time zone,
    checked_in_at timestamp with time zone, source text,
    _dlt_load_id text, _dlt_id text
);
