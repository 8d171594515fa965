import { Migration } from '@mikro-orm/migrations';

/**
 * The foundation: extensions, the unit tree, members and accounts.
 * Invariants every client must obey (paths, search keys, checks) live here, not in the app.
 */
export class Migration20261126000001Foundation extends Migration {
  override async up(): Promise<void> {
    // Generated migrations never create extensions; all of these are "trusted", so the owner
    // role can create them without being a superuser.
    this.addSql(`create extension if not exists ltree`);
    this.addSql(`create extension if not exists pg_trgm`);
    this.addSql(`create extension if not exists unaccent`);
    this.addSql(`create extension if not exists pgcrypto`);
    this.addSql(`create extension if not exists btree_gist`);

    // unaccent() is only STABLE (it reads a dictionary), so indexes need an IMMUTABLE wrapper
    // that names the dictionary explicitly. Folding = lower case, no Vietnamese diacritics, đ → d.
    this.addSql(`
      create function hoso_fold(value text) returns text
      language sql immutable parallel safe strict
      as $$ select lower(public.unaccent('public.unaccent'::regdictionary, value)) $$`);

    this.addSql(`
      create table org_unit (
        id bigint generated always as identity primary key,
        code text not null unique check (code ~ '^[A-Z0-9]+(\\.[A-Z0-9]+)*$'),
        name text not null check (btrim(name) <> ''),
        kind text not null check (kind in ('CITY', 'DISTRICT', 'WARD', 'CELL')),
        parent_id bigint references org_unit (id),
        -- Materialised path of ids (e.g. 1.3.40): subtree = path <@ scope. Kept by a trigger.
        path ltree not null,
        version integer not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
    this.addSql(`create index org_unit_path_gist on org_unit using gist (path)`);
    this.addSql(`create index org_unit_parent_idx on org_unit (parent_id, name)`);

    this.addSql(`
      create function org_unit_set_path() returns trigger language plpgsql as $$
      declare parent_path ltree;
      begin
        if new.parent_id is null then
          new.path := text2ltree(new.id::text);
        else
          select path into strict parent_path from org_unit where id = new.parent_id;
          if parent_path ~ ('*.' || new.id::text || '.*')::lquery then
            raise exception 'unit % cannot be placed under its own subtree', new.id using errcode = 'check_violation';
          end if;
          new.path := parent_path || text2ltree(new.id::text);
        end if;
        return new;
      end $$`);
    this.addSql(`
      create trigger org_unit_path_before before insert or update of parent_id on org_unit
      for each row execute function org_unit_set_path()`);
    // Moving a unit carries its whole subtree and the members registered in it.
    this.addSql(`
      create function org_unit_move_subtree() returns trigger language plpgsql as $$
      begin
        if new.path is distinct from old.path then
          update org_unit set path = new.path || subpath(path, nlevel(old.path))
           where path <@ old.path and id <> new.id;
          update member set unit_path = new.path || subpath(unit_path, nlevel(old.path))
           where unit_path <@ old.path;
        end if;
        return null;
      end $$`);

    this.addSql(`
      create table member (
        id bigint generated always as identity primary key,
        version integer not null default 1,
        party_card_number text unique check (btrim(party_card_number) <> ''),
        full_name text not null check (btrim(full_name) <> ''),
        -- Accent- and case-free forms for search and for Vietnamese ordering (given name first).
        search_name text generated always as (hoso_fold(full_name)) stored,
        sort_name text generated always as (
          hoso_fold(regexp_replace(btrim(full_name), '^.*\\s', '')) || ' ' || hoso_fold(full_name)
        ) stored,
        gender text not null check (gender in ('MALE', 'FEMALE')),
        date_of_birth date not null,
        ethnicity text,
        religion text,
        national_id text unique check (national_id ~ '^[0-9]{12}$'),
        joined_on date not null,
        official_on date,
        status text not null check (status in
          ('PROBATIONARY', 'OFFICIAL', 'RELEASED', 'REMOVED', 'EXPELLED', 'RESIGNED', 'DECEASED')),
        unit_id bigint not null references org_unit (id),
        -- Copy of the unit's path so the scope predicate needs no join. Kept by triggers.
        unit_path ltree not null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        check (date_of_birth < joined_on),
        check (official_on is null or official_on >= joined_on)
      )`);
    this.addSql(`
      create function member_set_unit_path() returns trigger language plpgsql as $$
      begin
        select path into strict new.unit_path from org_unit where id = new.unit_id;
        return new;
      end $$`);
    this.addSql(`
      create trigger member_unit_path_before before insert or update of unit_id, unit_path on member
      for each row execute function member_set_unit_path()`);
    this.addSql(`
      create trigger org_unit_move_after after update of path on org_unit
      for each row when (pg_trigger_depth() = 0) execute function org_unit_move_subtree()`);

    this.addSql(`create index member_unit_path_gist on member using gist (unit_path)`);
    this.addSql(`create index member_unit_idx on member (unit_id)`);
    this.addSql(`create index member_search_trgm on member using gin (search_name gin_trgm_ops)`);
    this.addSql(`create index member_sort_name_idx on member (sort_name, id)`);
    this.addSql(`create index member_birth_idx on member (date_of_birth, id)`);
    this.addSql(`create index member_joined_idx on member (joined_on, id)`);

    this.addSql(`
      create table account (
        id bigint generated always as identity primary key,
        username text not null check (username ~ '^[a-z0-9][a-z0-9._-]{1,62}$'),
        password_hash text not null,
        role text not null check (role in ('CITY_ADMIN', 'ORG_STAFF', 'COMMITTEE_VIEWER', 'REPORTER', 'AUDITOR')),
        unit_id bigint not null references org_unit (id),
        active boolean not null default true,
        version integer not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
    this.addSql(`create unique index account_username_key on account (lower(username))`);

    // The API role reads and writes records; it never owns or alters tables.
    this.addSql(`grant usage on schema public to hoso_api`);
    this.addSql(`grant select, insert, update on org_unit, member, account to hoso_api`);
  }
}
