-- Estimated cost recorded as images are stored (issue 16): some prices depend on the image's size
-- (Seedream 5.0 Pro's tiers), which the per-day counts alone cannot tell. Images counted before this
-- column existed are not in priced_images, and are priced at the catalog's price when read.
ALTER TABLE usage_daily ADD COLUMN priced_images BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE usage_daily ADD COLUMN cost_micro_cny BIGINT DEFAULT 0 NOT NULL;
