import { cacheControlFor, fileRequestFor } from './console-files.js';

describe('console files', () => {
  it('maps URLs to built files, falling back to index.html except under assets/', () => {
    expect(fileRequestFor('/console')).toEqual({ file: '/index.html', fallback: true });
    expect(fileRequestFor('/console/?x=1')).toEqual({ file: '/index.html', fallback: true });
    expect(fileRequestFor('/console/poison')).toEqual({ file: '/poison', fallback: true });
    expect(fileRequestFor('/console/assets/index-abc.js?v=2')).toEqual({ file: '/assets/index-abc.js', fallback: false });
  });

  it('caches hashed assets for a year and index.html never', () => {
    expect(cacheControlFor('/x/console/dist/assets/index-abc.js')).toContain('immutable');
    expect(cacheControlFor('/x/console/dist/index.html')).toBe('no-cache');
  });
});
