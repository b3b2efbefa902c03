// Turns a release's flat file list ("album/sub/b.bin") into nested folders for the details
// page, each folder carrying its total size and file count. Rendered with <details> so it
// collapses without JavaScript.

export interface TreeNode {
  name: string;
  size: bigint;
  /** files under this node (1 for a file) */
  files: number;
  isDir: boolean;
  children: TreeNode[];
}

interface MutableDir {
  name: string;
  dirs: Map<string, MutableDir>;
  files: TreeNode[];
}

const newDir = (name: string): MutableDir => ({ name, dirs: new Map(), files: [] });

function insert(root: MutableDir, path: string, size: bigint): void {
  const segments = path.split('/').filter(Boolean);
  const fileName = segments.pop() ?? path;
  let dir = root;
  for (const segment of segments) {
    let next = dir.dirs.get(segment);
    if (!next) dir.dirs.set(segment, (next = newDir(segment)));
    dir = next;
  }
  dir.files.push({ name: fileName, size, files: 1, isDir: false, children: [] });
}

const byName = (a: TreeNode, b: TreeNode): number => a.name.localeCompare(b.name, 'en', { numeric: true });

function freeze(dir: MutableDir): TreeNode {
  const dirs = [...dir.dirs.values()].map(freeze).sort(byName);
  const children = [...dirs, ...dir.files.sort(byName)];
  return {
    name: dir.name,
    isDir: true,
    children,
    size: children.reduce((sum, c) => sum + c.size, 0n),
    files: children.reduce((sum, c) => sum + c.files, 0),
  };
}

/** Folders first, then files, each sorted by name; returns the top-level nodes. */
export function buildFileTree(files: Array<{ path: string; size: bigint }>): TreeNode[] {
  const root = newDir('');
  for (const file of files) insert(root, file.path, file.size);
  return freeze(root).children;
}
