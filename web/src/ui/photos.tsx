/**
 * Photo capture: `<input type=file accept=image/* capture=environment>` opens the camera on a
 * phone. Each photo is kept as taken (the server reads its EXIF) with the moment it was added.
 */
import { useEffect, useMemo } from 'preact/hooks';
import { t } from '../i18n';

export interface TakenPhoto {
  readonly file: File;
  /** ISO instant the crew took (added) it. */
  readonly takenAt: string;
}

export function PhotoPicker({ photos, onChange, min }: { photos: readonly TakenPhoto[]; onChange: (photos: TakenPhoto[]) => void; min: number }) {
  const urls = useMemo(() => photos.map((photo) => URL.createObjectURL(photo.file)), [photos]);
  useEffect(() => () => urls.forEach((url) => URL.revokeObjectURL(url)), [urls]);
  return (
    <div class="photos">
      <ul class="thumbs">
        {photos.map((photo, index) => (
          <li key={urls[index]}>
            <img src={urls[index]} alt={t('photoAlt', { n: index + 1 })} width={96} height={96} />
            <button type="button" class="icon" aria-label={t('removePhoto', { n: index + 1 })} onClick={() => onChange(photos.filter((_, i) => i !== index))}>
              ×
            </button>
          </li>
        ))}
      </ul>
      <label class="button camera">
        {min > 0 ? t('takePhoto', { count: photos.length, min }) : t('takePhotoCount', { count: photos.length })}
        <input
          type="file"
          accept="image/jpeg,image/png,image/heic,image/webp"
          capture="environment"
          multiple
          class="visually-hidden"
          data-testid="photo-input"
          onChange={(event) => {
            const input = event.currentTarget;
            const added = [...(input.files ?? [])].map((file) => ({ file, takenAt: new Date().toISOString() }));
            input.value = '';
            onChange([...photos, ...added]);
          }}
        />
      </label>
    </div>
  );
}
