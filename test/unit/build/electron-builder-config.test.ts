import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';

const repo = path.join(import.meta.dirname, '..', '..', '..');
const config = YAML.parse(fs.readFileSync(path.join(repo, 'electron-builder.yml'), 'utf8')) as Record<string, unknown> & {
  asarUnpack: string[];
  extraMetadata: { main: string };
  linux: { target: string[] };
  win: { target: string[] };
  mac: { target: string[] };
  files: string[];
};

describe('electron-builder.yml', () => {
  it("is valid against electron-builder's own schema", () => {
    const schema = JSON.parse(fs.readFileSync(path.join(repo, 'node_modules', 'app-builder-lib', 'scheme.json'), 'utf8')) as object;
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    const ok = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('names the app and builds AppImage, deb, NSIS and dmg', () => {
    expect(config.appId).toMatch(/^[a-z]+(\.[a-z0-9-]+)+$/);
    expect(config.productName).toBeTruthy();
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.win.target).toContain('nsis');
    expect(config.mac.target).toContain('dmg');
  });

  it('unpacks every native module from asar', () => {
    for (const mod of ['better-sqlite3', 'serialport', '@serialport', 'node-hid']) {
      expect(config.asarUnpack.some((p) => p.startsWith(`node_modules/${mod}/`))).toBe(true);
    }
  });

  it('points at entry points that exist after npm run build', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as { main: string; bin: Record<string, string> };
    expect(config.extraMetadata.main).toBe(pkg.main);
    for (const file of [pkg.main, 'dist/main/preload.cjs', 'dist/main/kiosk-preload.cjs', 'dist/main/cli.cjs', 'dist/renderer/index.html', pkg.bin['till-agent'] ?? '']) {
      expect(fs.existsSync(path.join(repo, file)), file).toBe(true);
    }
    expect(config.files).toContain('dist/**/*');
  });
});
